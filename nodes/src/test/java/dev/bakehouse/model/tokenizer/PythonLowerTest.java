package dev.bakehouse.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are CPython 3.11 {@code str.lower()} of the same input. */
class PythonLowerTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "\u03bc\u1199\u1870\u03a3\u0f61|\u03bc\u1199\u1870\u03c3\u0f61", // no cased letter right before
        "A.\u03a3|a.\u03c2",                // '.' is case-ignorable
        "A\u03a3'|a\u03c2'",
        "1\u03a3|1\u03c3",
        "A\u03a3\u0301b|a\u03c3\u0301b",    // a cased letter follows after a mark
        "A\u03a3\u1870|a\u03c2\u1870",      // a non-cased letter follows
        "\u0130x|i\u0307x",
        "\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3|\u03bf\u03b4\u03c5\u03c3\u03c3\u03b5\u03c5\u03c2",
    })
    void lower_matchesCpython(String input, String expected) {
        assertEquals(expected, PythonLower.lower(input));
    }

    @Test
    void javaToLowerCase_decidesFinalSigmaDifferently() {
        // Why PythonLower exists: the JDK's word-boundary rule disagrees with CPython here.
        String s = "\u03bc\u1199\u1870\u03a3\u0f61";
        assertNotEquals(PythonLower.lower(s), s.toLowerCase(Locale.ROOT));
    }
}
