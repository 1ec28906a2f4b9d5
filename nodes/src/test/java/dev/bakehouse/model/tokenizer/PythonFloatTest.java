package dev.bakehouse.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Accepted and rejected spellings are those of CPython's {@code float(str)}. */
class PythonFloatTest {
    @ParameterizedTest(name = "\"{0}\" = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\" 1.5 \"|1.5", "1_0|10", ".5|0.5", "5.|5", "1e3|1000", "1E-2|0.01", "+2|2",
        "inf|Infinity", "-Infinity|-Infinity", "١٢|12", "0.1|0.1",
    })
    void parse_acceptsPythonSpellings(String text, double expected) {
        assertEquals(expected, PythonFloat.parse(text).orElseThrow());
    }

    @ParameterizedTest(name = "\"{0}\" rejected")
    @ValueSource(strings = {"1__0", "_1", "1_", "0x10", "1.2f", "1d", ".", "e5", "1.2.3", "", "abc", "1e"})
    void parse_rejectsWhatPythonRejects(String text) {
        assertTrue(PythonFloat.parse(text).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nan", "NaN", "-nan"})
    void parse_nan(String text) {
        assertTrue(Double.isNaN(PythonFloat.parse(text).orElseThrow()));
    }
}
