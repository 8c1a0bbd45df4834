import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Progress } from "../../../../engine/api/index.js";
import { createAppStore } from "../../store/app-store.js";
import { StoreContext } from "../../store/context.js";
import type { CatalogState } from "../../store/state.js";
import { FakeClient, catalogModel } from "../../testing/fake-client.js";
import { CatalogSection } from "./CatalogSection.js";

function render(catalog: CatalogState | undefined, progress: readonly Progress[] = []): string {
  const store = createAppStore(new FakeClient());
  store.setState({ catalog, progress });
  // Rendering on the server reads a store's initial state; this one's is the state set above.
  const prepared = { ...store, getInitialState: store.getState };
  return renderToStaticMarkup(
    <StoreContext value={prepared}>
      <CatalogSection />
    </StoreContext>,
  );
}

describe("the Download models section", () => {
  it("lists each catalog model with its size, licence and notes, and a labelled Download button", () => {
    const html = render({ dir: "/home/me/models", models: [catalogModel()] });
    expect(html).toContain('<h2 id="catalog-heading">Download models</h2>');
    expect(html).toContain("(/home/me/models)");
    expect(html).toContain('<ul class="catalog" aria-labelledby="catalog-heading"><li class="catalog-model" aria-labelledby="catalog-tiny"><h3 id="catalog-tiny">Tiny Story Model</h3>');
    expect(html).toContain("for the utility slot · 1.1 MB · tiny.gguf · sha256 checked");
    expect(html).toContain("Writes children&#x27;s stories.");
    expect(html).toContain("Licence: MIT (https://opensource.org/license/mit)");
    expect(html).toContain('aria-label="Download Tiny Story Model"');
    expect(html).toContain(">Download (1.1 MB)</button>");
    expect(html).not.toContain("<progress");
  });

  it("shows a progress bar and a Cancel button while a model downloads", () => {
    const downloading = catalogModel({ status: "downloading", progress: 0.1 });
    const html = render({ dir: "/m", models: [downloading] }, [{ kind: "download", file: "tiny.gguf", progress: 0.42 }]);
    expect(html).toContain('aria-label="Cancel the download of Tiny Story Model"');
    expect(html).toContain(">Cancel</button>");
    expect(html).toMatch(/<label for="([^"]+)">Downloading tiny.gguf: 42%<\/label><progress id="\1" max="100" value="42"><\/progress>/);
    // Before the first event of a download started elsewhere, the listing's own figure is shown.
    expect(render({ dir: "/m", models: [downloading] })).toContain('value="10"');
  });

  it("says when a model is there already, or when another file is in its way", () => {
    const html = render({ dir: "/m", models: [catalogModel({ status: "present" }), catalogModel({ id: "other", file: "other.gguf", name: "Other", status: "different" })] });
    expect(html).toContain('<p class="catalog-present">In the models folder.</p>');
    expect(html).toContain("A different file called other.gguf is in the models folder. Move or delete it to download this model.");
    expect(html).toMatch(/<button type="button" class="primary" disabled="" aria-label="Download Other"/);
    expect(render(undefined)).toContain("Reading the model catalog…");
  });
});
