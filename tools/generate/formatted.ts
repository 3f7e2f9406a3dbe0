/**
 * Generated files are written as the formatter prints them, with the
 * repository's own .oxfmtrc.json, so `npm run format:check` holds them like
 * written files and a regeneration shows only the lines whose data changed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import type { FormatConfig } from "oxfmt" with { "resolution-mode": "import" };

export const repositoryRoot = path.resolve(__dirname, "../..");
const configFile = path.join(repositoryRoot, ".oxfmtrc.json");

interface FormatterConfig extends FormatConfig {
    overrides?: { files: string[]; excludeFiles?: string[]; options: FormatConfig }[];
}

/** A pattern without a slash matches a file's name in any folder, as in .gitignore. */
const matches = (relative: string, pattern: string) => path.matchesGlob(pattern.includes("/") ? relative : path.basename(relative), pattern);

/** The options the formatter's CLI would use for `file`: the top level of .oxfmtrc.json and each override whose files match. */
export function formatterOptions(file: string): FormatConfig {
    // The config has comments, which JSON.parse refuses; TypeScript's reader of tsconfig files accepts them.
    const { config, error } = ts.parseConfigFileTextToJson(configFile, fs.readFileSync(configFile, "utf8"));
    if (error) throw new Error(`${configFile}: ${ts.flattenDiagnosticMessageText(error.messageText, "\n")}`);
    const {
        $schema: _schema,
        ignorePatterns: _ignored,
        overrides = [],
        ...options
    } = config as FormatterConfig & { $schema?: string; ignorePatterns?: string[] };
    const relative = path.relative(repositoryRoot, path.resolve(file));
    for (const override of overrides) {
        const excluded = override.excludeFiles?.some((p) => matches(relative, p));
        if (!excluded && override.files.some((p) => matches(relative, p))) Object.assign(options, override.options);
    }
    return options;
}

/** `text` as the formatter would leave `file`; throws on a parse error, which only a generator's bug could cause. */
export async function formatted(file: string, text: string): Promise<string> {
    // oxfmt is an ES module: this CommonJS module can reach it only through a dynamic import.
    const { format } = await import("oxfmt");
    const result = await format(path.basename(file), text, formatterOptions(file));
    if (result.errors.length) throw new Error(`formatting ${file}: ${result.errors.map((e) => e.message).join("; ")}`);
    return result.code;
}
