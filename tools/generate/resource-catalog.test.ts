import * as fs from "node:fs";
import { catalog, providers } from "../../policies/catalog/catalog";
import { catalogFile, generateCatalog, serializeCatalog } from "./resource-catalog";

const regenerate = "run `npm run generate:catalog` and commit policies/catalog/resource-types.json";

describe("policies/catalog/resource-types.json", () => {
    test.each(providers.map((p) => [p]))(`was generated from the installed @pulumi/%s (else ${regenerate})`, (provider) => {
        const installed = JSON.parse(fs.readFileSync(require.resolve(`@pulumi/${provider}/package.json`), "utf8")).version;
        expect(catalog.sdks[provider]).toBe(installed);
    });

    test(`is what the generator writes from the installed SDKs today (else ${regenerate})`, () => {
        expect(fs.readFileSync(catalogFile, "utf8")).toBe(serializeCatalog(generateCatalog()));
    }, 60_000);
});
