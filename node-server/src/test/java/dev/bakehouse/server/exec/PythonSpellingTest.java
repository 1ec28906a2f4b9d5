package dev.bakehouse.server.exec;

import static dev.bakehouse.server.exec.PromptValidatorTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Python's spelling of values and conversion errors, which clients see in error texts. */
class PythonSpellingTest {
    @Test
    void reprFloat_matchesPythonForCommonValues() {
        assertEquals("2.0", Py.reprFloat(2.0));
        assertEquals("0.1", Py.reprFloat(0.1));
        assertEquals("0.0001", Py.reprFloat(0.0001));
        assertEquals("1e-05", Py.reprFloat(0.00001));
        assertEquals("1.5e+16", Py.reprFloat(1.5e16));
        assertEquals("1234567890123456.0", Py.reprFloat(1234567890123456.0));
        assertEquals("-0.0", Py.reprFloat(-0.0));
        assertEquals("inf", Py.reprFloat(Double.POSITIVE_INFINITY));
        assertEquals("nan", Py.reprFloat(Double.NaN));
    }

    @Test
    void str_spellsJsonValuesLikePython() {
        assertEquals("True", Py.str(json("true")));
        assertEquals("None", Py.str(json("null")));
        assertEquals("{'a': [1, 2.5, 'x']}", Py.str(json("{\"a\": [1, 2.5, \"x\"]}")));
        assertEquals("\"it's\"", Py.repr(json("\"it's\"")));
        assertEquals("'a\\nb'", Py.repr(json("\"a\\nb\"")));
        assertEquals("['a.png', 'b.png']", Py.reprList(List.of("a.png", "b.png")));
    }

    @Test
    void int_coercion_truncatesFloatsButRejectsDecimalStrings() throws Exception {
        assertEquals("7", Coercion.coerce(json("7.9"), "INT").toString());
        assertEquals("-7", Coercion.coerce(json("-7.9"), "INT").toString());
        assertEquals("20", Coercion.coerce(json("\" 20 \""), "INT").toString());
        assertEquals("1", Coercion.coerce(json("true"), "INT").toString());
        assertEquals("18446744073709551615", Coercion.coerce(json("\"18446744073709551615\""), "INT").toString());
        assertEquals("invalid literal for int() with base 10: 'abc'",
                assertThrows(Coercion.Failure.class, () -> Coercion.coerce(json("\"abc\""), "INT")).getMessage());
        assertEquals("int() argument must be a string, a bytes-like object or a real number, not 'NoneType'",
                assertThrows(Coercion.Failure.class, () -> Coercion.coerce(json("null"), "INT")).getMessage());
    }

    @Test
    void float_coercion_acceptsPythonSpellings() throws Exception {
        assertEquals("5.0", Coercion.coerce(json("5"), "FLOAT").toString());
        assertEquals("1000.5", Coercion.coerce(json("\"1_000.5\""), "FLOAT").toString());
        assertEquals("could not convert string to float: 'x'",
                assertThrows(Coercion.Failure.class, () -> Coercion.coerce(json("\"x\""), "FLOAT")).getMessage());
        assertEquals("float() argument must be a string or a real number, not 'dict'",
                assertThrows(Coercion.Failure.class, () -> Coercion.coerce(json("{}"), "FLOAT")).getMessage());
    }

    @Test
    void boolean_coercion_isTruthiness() throws Exception {
        for (String falsy : List.of("false", "0", "0.0", "\"\"", "null", "{}", "[]")) {
            assertEquals("false", Coercion.coerce(json(falsy), "BOOLEAN").toString(), falsy);
        }
        for (String truthy : List.of("true", "2", "\"false\"", "{\"a\": 1}", "[0]")) {
            assertEquals("true", Coercion.coerce(json(truthy), "BOOLEAN").toString(), truthy);
        }
    }
}
