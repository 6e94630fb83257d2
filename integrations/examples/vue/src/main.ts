/** The Vue example's entry: importing `spike` defines the tags; the room comes from the query string (or the defaults). */
import "spike";
import { createApp } from "vue";
import App from "./App.vue";

const query = new URLSearchParams(location.search);
createApp(App, { room: query.get("room") ?? "frameworks-demo", server: query.get("server") ?? location.origin }).mount("#app");
