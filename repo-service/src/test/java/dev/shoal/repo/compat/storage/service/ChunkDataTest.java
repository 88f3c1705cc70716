package dev.shoal.repo.compat.storage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.platform.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A chunk's base64 decoded from the line's bytes: wherever the string sits in the line (after
 * multi-byte UTF-8, after other fields, with spaces around), with escapes, with line breaks, and the
 * refusals of what is not base64 in a string.
 */
class ChunkDataTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final byte[] content = new byte[3000];

    ChunkDataTest() {
        new Random(5).nextBytes(content);
    }

    private byte[] decode(String line) throws Exception {
        byte[] bytes = (line + "\n{\"padding\": \"the reader's buffer holds more than the line\"}").getBytes(StandardCharsets.UTF_8);
        int length = line.getBytes(StandardCharsets.UTF_8).length;
        CommitPackService.ChunkLine parsed = mapper.readValue(bytes, 0, length, CommitPackService.ChunkLine.class);
        return parsed.blobChunk().data().decode(bytes, length, "blob_chunk", 7);
    }

    @Test
    void base64IsDecodedFromTheLineWhereverItIs() throws Exception {
        String base64 = Base64.getEncoder().encodeToString(content);
        assertThat(decode("{\"blob_chunk\":{\"content_id\":\"c1\",\"data\":\"" + base64 + "\",\"eof\":true}}")).isEqualTo(content);
        assertThat(decode("{\"blob_chunk\": {\"content_id\": \"größe→ü\", \"eof\": false,  \"data\" :  \"" + base64 + "\" }}"))
                .as("after multi-byte UTF-8 and other fields, with spaces").isEqualTo(content);
        assertThat(decode("  {\"blob_chunk\":{\"data\":\"" + base64 + "\",\"content_id\":\"c\"}}")).isEqualTo(content);
        assertThat(decode("{\"blob_chunk\":{\"content_id\":\"c\",\"data\":\"\",\"eof\":true}}")).isEmpty();
        assertThat(decode("\uFEFF{\"blob_chunk\":{\"content_id\":\"c\",\"data\":\"aGk=\"}}")).as("after a byte-order mark")
                .isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void escapesAndLineBreaksAreUnderstood() throws Exception {
        String base64 = Base64.getMimeEncoder().encodeToString(content); // CRLF every 76 characters
        String escaped = base64.replace("\r\n", "\\r\\n") + "\\n";
        assertThat(decode("{\"blob_chunk\":{\"content_id\":\"c\",\"data\":\"" + escaped + "\"}}")).isEqualTo(content);
        assertThat(decode("{\"blob_chunk\":{\"content_id\":\"c\",\"data\":\"aGk\\u003d\"}}")).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
        String spaced = base64.replace("\r\n", " ");
        assertThat(decode("{\"blob_chunk\":{\"content_id\":\"c\",\"data\":\"" + spaced + "\"}}")).isEqualTo(content);
    }

    @Test
    void whatIsNotBase64InAStringIsRefusedWithItsLine() {
        assertThatThrownBy(() -> decode("{\"blob_chunk\":{\"content_id\":\"c\",\"data\":42}}"))
                .isInstanceOf(ValidationException.class).hasMessage("line 7: blob_chunk.data must be a base64 string, not number");
        assertThatThrownBy(() -> decode("{\"blob_chunk\":{\"content_id\":\"c\",\"data\":null}}"))
                .isInstanceOf(ValidationException.class).hasMessage("line 7: blob_chunk.data must be a base64 string, not null");
        assertThatThrownBy(() -> decode("{\"blob_chunk\":{\"content_id\":\"c\",\"data\":[\"aGk=\"]}}"))
                .isInstanceOf(ValidationException.class).hasMessage("line 7: blob_chunk.data must be a base64 string, not array");
        assertThatThrownBy(() -> decode("{\"blob_chunk\":{\"content_id\":\"c\",\"data\":\"not base64!\"}}"))
                .isInstanceOf(ValidationException.class).hasMessage("line 7: data is not valid base64");
        assertThatThrownBy(() -> decode("{\"blob_chunk\":{\"content_id\":\"c\",\"data\":\"aGk=\\\"\"}}"))
                .as("an escaped quote").isInstanceOf(ValidationException.class).hasMessage("line 7: data is not valid base64");
    }
}
