package dev.bakehouse.model.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A1111's extra-network tags in a prompt ({@code <lora:name:1>}, {@code <lyco:…>},
 * {@code <hypernet:…>}): found as A1111's {@code extra_networks.parse_prompt} finds them
 * ({@code <word:anything but '>'>}), their text split on {@code ':'}, and removed from the prompt
 * so that the text encoder never sees them. What a tag means is up to its network type; this class
 * only reads the text.
 */
public final class ExtraNetworkTags {
    private static final Pattern TAG = Pattern.compile("<(\\w+):([^>]+)>");

    private ExtraNetworkTags() {}

    /**
     * One tag.
     *
     * @param type  the word before the first colon ({@code lora})
     * @param items the rest split on {@code ':'} (A1111 keeps empty items)
     * @param text  the tag as written, for error messages
     */
    public record Tag(String type, List<String> items, String text) {
        public Tag {
            items = List.copyOf(items);
        }
    }

    /**
     * @param prompt the prompt with every tag removed (surrounding text untouched, as A1111 does)
     * @param tags   the tags in prompt order
     */
    public record Parsed(String prompt, List<Tag> tags) {
        public Parsed {
            tags = List.copyOf(tags);
        }
    }

    public static Parsed parse(String prompt) {
        List<Tag> tags = new ArrayList<>();
        Matcher m = TAG.matcher(prompt);
        StringBuilder rest = new StringBuilder();
        while (m.find()) {
            tags.add(new Tag(m.group(1), List.of(m.group(2).split(":", -1)), m.group()));
            m.appendReplacement(rest, "");
        }
        m.appendTail(rest);
        return new Parsed(rest.toString(), tags);
    }
}
