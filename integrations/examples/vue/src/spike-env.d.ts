// The spike-* tags in templates: props and events typed from the elements' manifest.
import type {} from "spike/vue";
