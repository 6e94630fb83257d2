/** The React example's entry: one room from the query string (or the defaults), rendered by App. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";

const query = new URLSearchParams(location.search);
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App room={query.get("room") ?? "frameworks-demo"} server={query.get("server") ?? location.origin} />
  </StrictMode>,
);
