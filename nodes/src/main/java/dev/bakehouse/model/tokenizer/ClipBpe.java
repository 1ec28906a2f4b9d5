package dev.bakehouse.model.tokenizer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The byte-level BPE of CLIP: {@code vocab.json} (symbol string -> id) and {@code merges.txt}
 * (rank = line index after the {@code #version} header). Turns one pre-token into ids.
 */
final class ClipBpe {
    /** 49152 - 256 - 2: the merge lines CLIP uses; HF's merges.txt holds exactly this many. */
    static final int MERGE_COUNT = 48894;
    static final String END_OF_WORD = "</w>";

    private final Map<String, Integer> idOfToken;
    private final String[] tokenOfId;
    private final Map<String, Integer> rankOfPair;
    private final Cache<String, int[]> cache = Caffeine.newBuilder().maximumSize(50_000).build();

    private ClipBpe(Map<String, Integer> idOfToken, String[] tokenOfId, Map<String, Integer> rankOfPair) {
        this.idOfToken = idOfToken;
        this.tokenOfId = tokenOfId;
        this.rankOfPair = rankOfPair;
    }

    static ClipBpe load(TokenizerFiles files) {
        Map<String, Integer> vocab = readVocab(files);
        String[] tokenOfId = new String[vocab.size()];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            int id = e.getValue();
            if (id < 0 || id >= tokenOfId.length || tokenOfId[id] != null) {
                throw new IllegalArgumentException(files.vocab() + ": token " + e.getKey()
                        + " has id " + id + ", expected unique ids 0.." + (tokenOfId.length - 1));
            }
            tokenOfId[id] = e.getKey();
        }
        for (String special : new String[] {ClipPreTokenizer.START_OF_TEXT, ClipPreTokenizer.END_OF_TEXT}) {
            if (!vocab.containsKey(special)) {
                throw new IllegalArgumentException(files.vocab() + ": special token " + special + " missing");
            }
        }
        return new ClipBpe(vocab, tokenOfId, readMerges(files));
    }

    private static Map<String, Integer> readVocab(TokenizerFiles files) {
        try {
            return new ObjectMapper().readValue(files.vocab().toFile(), new TypeReference<HashMap<String, Integer>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CLIP vocabulary " + files.vocab() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Integer> readMerges(TokenizerFiles files) {
        List<String> lines;
        try {
            lines = Files.readAllLines(files.merges(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CLIP merges " + files.merges() + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).startsWith("#version")) {
            throw new IllegalArgumentException(files.merges() + ": expected a '#version' header line, found "
                    + (lines.isEmpty() ? "an empty file" : "'" + lines.get(0) + "'"));
        }
        Map<String, Integer> ranks = new HashMap<>(2 * MERGE_COUNT);
        int count = Math.min(MERGE_COUNT, lines.size() - 1);
        for (int rank = 0; rank < count; rank++) {
            String line = lines.get(rank + 1);
            String[] pair = line.split(" ");
            if (pair.length != 2) {
                throw new IllegalArgumentException(files.merges() + " line " + (rank + 2)
                        + ": expected two symbols separated by one space, found '" + line + "'");
            }
            ranks.put(pair[0] + " " + pair[1], rank); // a repeated pair keeps its last rank, as in Python's dict(zip(...))
        }
        return ranks;
    }

    int idOf(String token) {
        Integer id = idOfToken.get(token);
        if (id == null) {
            throw new IllegalStateException("BPE produced '" + token + "', which the vocabulary lacks");
        }
        return id;
    }

    String tokenOf(int id) {
        if (id < 0 || id >= tokenOfId.length) {
            throw new IllegalArgumentException("token id " + id + " outside 0.." + (tokenOfId.length - 1));
        }
        return tokenOfId[id];
    }

    int vocabSize() {
        return tokenOfId.length;
    }

    /** Ids of one pre-token (special-token literals map straight to their ids). */
    int[] encodeWord(String preToken) {
        if (preToken.equals(ClipPreTokenizer.START_OF_TEXT) || preToken.equals(ClipPreTokenizer.END_OF_TEXT)) {
            return new int[] {idOf(preToken)};
        }
        return cache.get(preToken, word -> {
            List<String> symbols = merge(ByteSymbols.encode(word));
            int[] ids = new int[symbols.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = idOf(symbols.get(i));
            }
            return ids;
        });
    }

    /** Repeatedly merges every occurrence of the lowest-ranked adjacent pair. */
    private List<String> merge(String symbolsOfWord) {
        List<String> word = new ArrayList<>(symbolsOfWord.length());
        for (int i = 0; i < symbolsOfWord.length() - 1; i++) {
            word.add(String.valueOf(symbolsOfWord.charAt(i)));
        }
        word.add(symbolsOfWord.charAt(symbolsOfWord.length() - 1) + END_OF_WORD);
        while (word.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer rank = rankOfPair.get(word.get(i) + " " + word.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    first = word.get(i);
                    second = word.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            List<String> merged = new ArrayList<>(word.size());
            for (int i = 0; i < word.size(); i++) {
                if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else {
                    merged.add(word.get(i));
                }
            }
            word = merged;
        }
        return word;
    }
}
