import { describe, expect, it } from "vitest";
import { readAsciidoc } from "../../src/analyzers/repo/asciidoc.js";
import type { DocBlock } from "../../src/analyzers/repo/doc-blocks.js";
import { readMarkdown } from "../../src/analyzers/repo/markdown.js";
import { readRst } from "../../src/analyzers/repo/rst.js";

// The same document in each syntax: a heading, a two-line paragraph, a code block, a bullet list, an ordered list.
const markdown =
  "# Deploy\n\nShip the app\nwith one command.\n\n```bash\nfly deploy\n```\n\n- build\n- push\n\n1. tag\n2. release\n";
const rst =
  "Deploy\n======\n\nShip the app\nwith one command.\n\n.. code-block:: bash\n\n   fly deploy\n\n- build\n- push\n\n1. tag\n2. release\n";
const asciidoc =
  "= Deploy\n\nShip the app\nwith one command.\n\n[source,bash]\n----\nfly deploy\n----\n\n* build\n* push\n\n. tag\n. release\n";

/** the blocks without their lines, which differ with the syntax */
const shapes = (blocks: DocBlock[]) => blocks.map(({ line: _line, ...rest }) => rest);
const lines = (blocks: DocBlock[]) => blocks.map((b) => b.line);

describe("document readers: one document in three syntaxes", () => {
  it("gives the same block sequence in Markdown, reStructuredText and AsciiDoc", () => {
    const expected = [
      { kind: "heading", text: "Deploy", depth: 1 },
      { kind: "text", text: "Ship the app with one command." },
      { kind: "code", lang: "bash", text: "fly deploy" },
      { kind: "text", text: "build" },
      { kind: "text", text: "push" },
      { kind: "list", ordered: false, items: 2 },
      { kind: "text", text: "tag" },
      { kind: "text", text: "release" },
      { kind: "list", ordered: true, items: 2 },
    ];
    const md = readMarkdown(markdown);
    const rs = readRst(rst);
    const ad = readAsciidoc(asciidoc);
    expect(shapes(md.blocks)).toEqual(expected);
    expect(shapes(rs.blocks)).toEqual(expected);
    expect(shapes(ad.blocks)).toEqual(expected);
    // a code block's line is its fence or directive; a list's is its first item's
    expect(lines(md.blocks)).toEqual([1, 3, 6, 10, 11, 10, 13, 14, 13]);
    expect(lines(rs.blocks)).toEqual([1, 4, 7, 11, 12, 11, 14, 15, 14]);
    expect(lines(ad.blocks)).toEqual([1, 3, 7, 11, 12, 11, 14, 15, 14]);
    expect([md.problems, rs.problems, ad.problems]).toEqual([[], [], []]);
  });
});
