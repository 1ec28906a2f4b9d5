package dev.bakehouse.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DataTypeTest {
    @Test
    void compatible_equalNames_match() {
        assertTrue(DataType.compatible("MODEL", "MODEL"));
    }

    @Test
    void compatible_differentNames_doNotMatch() {
        assertFalse(DataType.compatible("IMAGE", "LATENT"));
    }

    @Test
    void compatible_commaUnions_matchWhenTheyIntersect() {
        assertTrue(DataType.compatible("MASK", "IMAGE, MASK"));
        assertTrue(DataType.compatible("IMAGE,LATENT", "LATENT"));
        assertFalse(DataType.compatible("IMAGE,MASK", "LATENT,MODEL"));
    }

    @Test
    void compatible_wildcardOnEitherSide_matchesAnything() {
        assertTrue(DataType.compatible("*", "MODEL"));
        assertTrue(DataType.compatible("LORA", "*"));
    }

    @Test
    void accepts_readsReceivedIntoExpected() {
        assertTrue(DataType.IMAGE.accepts(new DataType("IMAGE,MASK")));
        assertFalse(DataType.IMAGE.accepts(DataType.LATENT));
    }
}
