/** The Svelte example's entry: importing `spike` defines the tags; the room comes from the query string (or the defaults). */
import "spike";
import { mount } from "svelte";
import App from "./App.svelte";

const query = new URLSearchParams(location.search);
mount(App, {
  target: document.getElementById("app")!,
  props: { room: query.get("room") ?? "frameworks-demo", server: query.get("server") ?? location.origin },
});
