package dev.shoal.platform.api;

/** The success envelope of the Isurus API: {@code {"data": …}}. */
public record DataResponse<T>(T data) {

    public static <T> DataResponse<T> of(T data) {
        return new DataResponse<>(data);
    }
}
