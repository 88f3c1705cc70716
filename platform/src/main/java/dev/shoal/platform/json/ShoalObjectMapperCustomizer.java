package dev.shoal.platform.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** Applies Shoal's JSON conventions to the ObjectMapper every service uses. */
@Singleton
public class ShoalObjectMapperCustomizer implements ObjectMapperCustomizer {

    /** Runs after Quarkus' own customizers, so its Java time module does not replace ours. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new TimestampModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
