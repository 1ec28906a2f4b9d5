package dev.bakehouse.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are what CPython 3.11 {@code html.unescape} returns for the same input. */
class HtmlUnescapeTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "&notit;|¬it;",                   // longest legacy prefix, rest kept
        "&notin;|∉",
        "&amp|&",                         // legacy name without ';'
        "&ampx|&x",
        "&AMP;|&",
        "&Amp;|&Amp;",                    // names are case-sensitive
        "&#0;|\uFFFD",
        "&#x80;|€",                       // windows-1252 repair of C1 references
        "&#xD800;|\uFFFD",
        "&#x110000;|\uFFFD",
        "&#99999999999999999999;|\uFFFD",
        "&#65|A",
        "&#x41x|Ax",
        "&unknown;|&unknown;",
        "& amp;|& amp;",
        "&ab|&ab",                        // prefixes shorter than 2 characters never match
        "&copyright|©right",
        "&lt&gt|<>",
        "&NotNestedGreaterGreater;|⪢̸",   // two code points
    })
    void unescape_matchesPython(String input, String expected) {
        assertEquals(expected, HtmlUnescape.unescape(input));
    }

    @ParameterizedTest(name = "{0} vanishes")
    @CsvSource({"&#1;", "&#xfffe;", "&#x7f;"})
    void unescape_invalidCodePoints_vanish(String input) {
        assertEquals("", HtmlUnescape.unescape(input));
    }
}
