package dev.shoal.platform.event.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code tag.created}: a tag appeared; {@code sha} is the commit it points at (annotated tags peeled). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TagCreated(String tag, String sha) {
}
