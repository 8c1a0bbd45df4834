import "./csp.js";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { connect } from "./client/connect.js";
import { NoConnection } from "./components/NoConnection.js";
import { bindEvents, createAppStore } from "./store/app-store.js";
import { StoreContext } from "./store/context.js";

const container = document.getElementById("root");
if (container === null) throw new Error("index.html has no #root element");
const root = createRoot(container);
const connection = connect(window);

if (connection.ok) {
  const store = createAppStore(connection.client);
  bindEvents(store, connection.client);
  root.render(
    <StrictMode>
      <StoreContext value={store}>
        <App />
      </StoreContext>
    </StrictMode>,
  );
} else {
  root.render(<NoConnection message={connection.message} />);
}
