package dev.shoal.pipeline.settings;

import java.util.List;

/**
 * A change to a repository's CI settings: null leaves a setting as it is. The compatibility APIs
 * translate their own request bodies into this, through {@link #builder()}.
 */
public record CiSettingsPatch(Boolean active, Integer timeoutMinutes, Boolean trustedNetwork, Boolean trustedSecurity,
        Boolean trustedVolumes, Boolean allowPr, Boolean allowPush, Boolean allowTags, Boolean allowDeploy,
        String configFile, String visibility, String requireApproval, List<String> cancelPreviousPipelineEvents,
        List<String> netrcTrusted) {

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the settings a request names; the rest stay null (unchanged). */
    public static final class Builder {
        private Boolean active;
        private Integer timeoutMinutes;
        private Boolean trustedNetwork;
        private Boolean trustedSecurity;
        private Boolean trustedVolumes;
        private Boolean allowPr;
        private Boolean allowPush;
        private Boolean allowTags;
        private Boolean allowDeploy;
        private String configFile;
        private String visibility;
        private String requireApproval;
        private List<String> cancelPreviousPipelineEvents;
        private List<String> netrcTrusted;

        public Builder active(Boolean value) { active = value; return this; }
        public Builder timeoutMinutes(Integer value) { timeoutMinutes = value; return this; }
        /** Drone's single {@code trusted} flag: all three kinds of trust at once. */
        public Builder trusted(Boolean value) { trustedNetwork = value; trustedSecurity = value; trustedVolumes = value; return this; }
        public Builder trustedNetwork(Boolean value) { trustedNetwork = value; return this; }
        public Builder trustedSecurity(Boolean value) { trustedSecurity = value; return this; }
        public Builder trustedVolumes(Boolean value) { trustedVolumes = value; return this; }
        public Builder allowPr(Boolean value) { allowPr = value; return this; }
        public Builder allowPush(Boolean value) { allowPush = value; return this; }
        public Builder allowTags(Boolean value) { allowTags = value; return this; }
        public Builder allowDeploy(Boolean value) { allowDeploy = value; return this; }
        /** An empty string clears the file (back to the usual search). */
        public Builder configFile(String value) { configFile = value; return this; }
        public Builder visibility(String value) { visibility = value; return this; }
        public Builder requireApproval(String value) { requireApproval = value; return this; }
        public Builder cancelPreviousPipelineEvents(List<String> value) { cancelPreviousPipelineEvents = value; return this; }
        public Builder netrcTrusted(List<String> value) { netrcTrusted = value; return this; }

        public CiSettingsPatch build() {
            return new CiSettingsPatch(active, timeoutMinutes, trustedNetwork, trustedSecurity, trustedVolumes, allowPr,
                    allowPush, allowTags, allowDeploy, configFile, visibility, requireApproval,
                    cancelPreviousPipelineEvents, netrcTrusted);
        }
    }
}
