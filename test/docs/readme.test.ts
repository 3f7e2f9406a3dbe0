import * as fs from "node:fs";
import * as path from "node:path";
import { generatedReadme } from "../../tools/docs/generate";

test("the README's generated sections match the code (run `npm run docs` after changing a schema)", () => {
    const text = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
    expect(generatedReadme(text)).toBe(text);
});
