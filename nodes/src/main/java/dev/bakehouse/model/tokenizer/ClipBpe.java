package dev.bakehouse.model.tokenizer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The byte-level BPE of CLIP: {@code vocab.json} (symbol string -> id, or derived from the merges by
 * {@link ClipVocab}) and {@code merges.txt} (rank = line index after the {@code #version} header).
 * Turns one pre-token into ids.
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
        List<String[]> merges = readMerges(files);
        Map<String, Integer> vocab = files.derivesVocab() ? ClipVocab.derive(merges) : readVocab(files);
        String vocabSource = files.derivesVocab() ? "vocabulary derived from " + files.merges() : files.vocab().toString();
        String[] tokenOfId = new String[vocab.size()];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            int id = e.getValue();
            if (id < 0 || id >= tokenOfId.length || tokenOfId[id] != null) {
                throw new IllegalArgumentException(vocabSource + ": token " + e.getKey()
                        + " has id " + id + ", expected unique ids 0.." + (tokenOfId.length - 1));
            }
            tokenOfId[id] = e.getKey();
        }
        for (String special : new String[] {ClipPreTokenizer.START_OF_TEXT, ClipPreTokenizer.END_OF_TEXT}) {
            if (!vocab.containsKey(special)) {
                throw new IllegalArgumentException(vocabSource + ": special token " + special + " missing");
            }
        }
        Map<String, Integer> ranks = new HashMap<>(2 * merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] pair = merges.get(rank);
            ranks.put(pair[0] + " " + pair[1], rank); // a repeated pair keeps its last rank, as in Python's dict(zip(...))
        }
        return new ClipBpe(vocab, tokenOfId, ranks);
    }

    private static Map<String, Integer> readVocab(TokenizerFiles files) {
        try (InputStream in = Files.newInputStream(files.vocab())) {
            return new ObjectMapper().readValue(in, new TypeReference<HashMap<String, Integer>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CLIP vocabulary " + files.vocab() + ": " + e.getMessage(), e);
        }
    }

    /** The used merge pairs ({@link #MERGE_COUNT} at most) in rank order. */
    private static List<String[]> readMerges(TokenizerFiles files) {
        List<String> lines = new ArrayList<>(MERGE_COUNT + 1);
        try (InputStream raw = Files.newInputStream(files.merges());
                InputStream in = files.mergesGzipped() ? new GZIPInputStream(raw) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            // OpenAI's file holds 262k merges; CLIP uses only the first MERGE_COUNT.
            for (String line = reader.readLine(); line != null && lines.size() <= MERGE_COUNT; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CLIP merges " + files.merges() + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).startsWith("#version")) {
            throw new IllegalArgumentException(files.merges() + ": expected a '#version' header line, found "
                    + (lines.isEmpty() ? "an empty file" : "'" + lines.get(0) + "'"));
        }
        List<String[]> merges = new ArrayList<>(lines.size() - 1);
        for (int rank = 0; rank + 1 < lines.size(); rank++) {
            String line = lines.get(rank + 1);
            String[] pair = line.split(" ");
            if (pair.length != 2) {
                throw new IllegalArgumentException(files.merges() + " line " + (rank + 2)
                        + ": expected two symbols separated by one space, found '" + line + "'");
            }
            merges.add(pair);
        }
        return merges;
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
