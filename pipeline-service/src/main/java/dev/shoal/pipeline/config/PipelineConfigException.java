package dev.shoal.pipeline.config;

/** A pipeline file that cannot be used, with the file and the 1-based line the problem is on (0 when unknown). */
public class PipelineConfigException extends Exception {

    private final String file;
    private final int line;
    private final String problem;

    public PipelineConfigException(String file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem, null, false, false);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String problem() {
        return problem;
    }
}
