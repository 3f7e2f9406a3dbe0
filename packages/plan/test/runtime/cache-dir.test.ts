/** Where the plan keeps its caches: where it is told, else beside the dependencies it is installed with. */
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir } from "../../src/runtime/cache-dir.cjs";

const told = process.env.OFFLINE_PLAN_CACHE_DIR;
afterEach(() => {
    if (told === undefined) delete process.env.OFFLINE_PLAN_CACHE_DIR;
    else process.env.OFFLINE_PLAN_CACHE_DIR = told;
});

test("OFFLINE_PLAN_CACHE_DIR names it", () => {
    process.env.OFFLINE_PLAN_CACHE_DIR = "/tmp/elsewhere";
    expect(cacheDir()).toBe("/tmp/elsewhere");
});

test("else .cache/offline-plan in the nearest node_modules at or above the package", () => {
    delete process.env.OFFLINE_PLAN_CACHE_DIR;
    const dir = cacheDir();
    expect(dir.endsWith(path.join("node_modules", ".cache", "offline-plan"))).toBe(true);
    const nodeModules = path.dirname(path.dirname(dir));
    expect(fs.existsSync(nodeModules)).toBe(true);
    const packageDir = path.resolve(__dirname, "..", "..");
    expect(packageDir.startsWith(path.dirname(nodeModules) + path.sep) || path.dirname(nodeModules) === packageDir).toBe(true);
});
