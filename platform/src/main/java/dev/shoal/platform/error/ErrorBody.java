package dev.shoal.platform.error;

/** The error envelope: {@code {"error": {"code": "not_found", "message": "Repository not found"}}}. */
public record ErrorBody(Detail error) {

    public record Detail(String code, String message) {
    }

    public static ErrorBody of(String code, String message) {
        return new ErrorBody(new Detail(code, message));
    }
}
