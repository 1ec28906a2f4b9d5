package dev.bakehouse.train.save;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PythonReprTest {

    @Test
    void floats_matchPythonRepr() {
        // expected strings are what CPython 3.10 prints for repr(x)
        assertEquals("0.0001", PythonRepr.ofDouble(1e-4));
        assertEquals("1e-05", PythonRepr.ofDouble(1e-5));
        assertEquals("5e-05", PythonRepr.ofDouble(5e-5));
        assertEquals("1.5e-05", PythonRepr.ofDouble(1.5e-5));
        assertEquals("1.0", PythonRepr.ofDouble(1.0));
        assertEquals("0.3", PythonRepr.ofDouble(0.3));
        assertEquals("0.1", PythonRepr.ofDouble(0.1));
        assertEquals("2e-06", PythonRepr.ofDouble(2.0e-6));
        assertEquals("1234.5", PythonRepr.ofDouble(1234.5));
        assertEquals("1e+16", PythonRepr.ofDouble(1e16));
        assertEquals("1000000000000000.0", PythonRepr.ofDouble(1e15));
        assertEquals("-0.05", PythonRepr.ofDouble(-0.05));
        assertEquals("0.30000000000000004", PythonRepr.ofDouble(0.1 + 0.2));
        assertEquals("1733600000.123456", PythonRepr.ofDouble(1733600000.123456));
        assertEquals("-0.0", PythonRepr.ofDouble(-0.0));
    }

    @Test
    void otherValues_matchPythonStr() {
        assertEquals("None", PythonRepr.of(null));
        assertEquals("True", PythonRepr.of(true));
        assertEquals("False", PythonRepr.of(false));
        assertEquals("8", PythonRepr.of(8));
        assertEquals("(512, 512)", PythonRepr.of(List.of(512, 512)));
        assertEquals("(2.0, 4.0)", PythonRepr.of(Arrays.asList(2.0, 4.0)));
        assertEquals("(1,)", PythonRepr.tuple(List.of(1)));
        assertEquals("networks.lora", PythonRepr.of("networks.lora"));
    }
}
