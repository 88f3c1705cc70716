package dev.shoal.repo.compat.storage.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.shoal.platform.error.ValidationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code data} of a {@code blob_chunk} or {@code diff_chunk} line: base64 in a JSON string,
 * decoded straight from the line's bytes. The parser only notes where the string starts and skips
 * it, so a chunk is never also a Java {@code String} of its base64 (the profile of a commit-pack of
 * 1,000 files had that string and its parsing as a tenth of the request's time, and a third of its
 * garbage). A string with an escape in it ({@code "...\n"}, as the Code Storage docs show) is
 * unescaped by Jackson first; a value that is not a string is kept as its JSON node, for the message.
 *
 * <p>Parse the line with {@code mapper.readValue(bytes, 0, length, …)}: {@code start} is an index
 * into that array.
 */
@JsonDeserialize(using = ChunkData.Reader.class)
record ChunkData(JsonNode notAString, int start) {

    /** Decoded data may be at most this (the Code Storage API's chunk size). */
    static final int MAX_CHUNK = 4 * 1024 * 1024;
    private static final int MAX_BASE64 = MAX_CHUNK / 3 * 4 + 4;
    private static final Pattern WHITESPACE = Pattern.compile("[\\r\\n\\t ]");
    private static final JsonFactory JSON = new JsonFactory();

    /** The decoded bytes; {@code kind} (blob_chunk, diff_chunk) and {@code number} (the line's) are for messages. */
    byte[] decode(byte[] line, int length, String kind, int number) {
        requireString(kind, number);
        if (start < 1 || start > length || line[start - 1] != '"') {
            // the parser's offset must point just past the string's opening quote; never seen otherwise
            throw new IllegalStateException("line " + number + ": " + kind + ".data is not where the parser said it starts");
        }
        int end = ByteScan.indexOfEither(line, start, length, (byte) '"', (byte) '\\');
        if (end < length && line[end] == '\\') {
            return decode(unescaped(line, length, number), number);
        }
        if (end - start > MAX_BASE64) {
            throw tooLarge(number);
        }
        try {
            return exactly(Base64.getDecoder().decode(ByteBuffer.wrap(line, start, end - start)), number);
        } catch (IllegalArgumentException strict) {
            return decode(new String(line, start, end - start, StandardCharsets.ISO_8859_1), number);
        }
    }

    /** Refuses a value that is not a JSON string (a number is not coerced into base64: 42 → "42" → one byte). */
    void requireString(String kind, int number) {
        if (notAString != null) {
            throw new ValidationException("line " + number + ": " + kind + ".data must be a base64 string, not "
                    + notAString.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
    }

    /** Base64 from a String: strict, but tolerant of line breaks and spaces (looked for only when strict decoding fails). */
    static byte[] decode(String data, int number) {
        if (data.length() > MAX_BASE64) {
            throw tooLarge(number);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException strict) {
            try {
                bytes = Base64.getDecoder().decode(WHITESPACE.matcher(data).replaceAll(""));
            } catch (IllegalArgumentException e) {
                throw new ValidationException("line " + number + ": data is not valid base64");
            }
        }
        if (bytes.length > MAX_CHUNK) {
            throw tooLarge(number);
        }
        return bytes;
    }

    private static byte[] exactly(ByteBuffer decoded, int number) {
        if (decoded.remaining() > MAX_CHUNK) {
            throw tooLarge(number);
        }
        byte[] array = decoded.array();
        return decoded.arrayOffset() == 0 && decoded.position() == 0 && decoded.remaining() == array.length
                ? array
                : Arrays.copyOfRange(array, decoded.arrayOffset() + decoded.position(), decoded.arrayOffset() + decoded.limit());
    }

    /** The JSON string that starts at {@code start}, unescaped. */
    private String unescaped(byte[] line, int length, int number) {
        try (JsonParser string = JSON.createParser(line, start - 1, length - start + 1)) {
            if (string.nextToken() != JsonToken.VALUE_STRING) {
                throw new ValidationException("line " + number + ": data must be a base64 string");
            }
            return string.getText();
        } catch (IOException e) {
            throw new ValidationException("line " + number + ": data is not a valid JSON string");
        }
    }

    private static ValidationException tooLarge(int number) {
        return new ValidationException("line " + number + ": a chunk may decode to at most 4 MiB (4194304 bytes); split the file into more chunks");
    }

    /** Notes where the string starts (the byte after its quote) and lets the parser skip it unread. */
    static final class Reader extends StdDeserializer<ChunkData> {

        Reader() {
            super(ChunkData.class);
        }

        @Override
        public ChunkData deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return new ChunkData(p.readValueAsTree(), -1);
            }
            long quote = p.currentTokenLocation().getByteOffset();
            if (quote < 0) {
                throw new IllegalStateException("chunk lines must be parsed from a byte array");
            }
            return new ChunkData(null, (int) quote + 1);
        }

        @Override
        public ChunkData getNullValue(DeserializationContext ctxt) {
            return new ChunkData(NullNode.getInstance(), -1);
        }
    }

}
