import * as fs from "node:fs";
import * as path from "node:path";
import { cloudDescriptors, cloudTable, descriptorOf, isCloud, regionClouds, regionOf } from "./clouds";

describe.each(cloudDescriptors.map((d) => [d.id, d] as const))("the %s descriptor", (id, cloud) => {
    const folder = path.join(__dirname, id);

    test("lives in its cloud's folder, which holds its kit", () => {
        expect(fs.existsSync(path.join(folder, "cloud.ts"))).toBe(true);
        expect(fs.existsSync(path.join(folder, "kit.ts"))).toBe(true);
    });

    test("imports no provider SDK: reading it loads nothing", () => {
        const source = fs.readFileSync(path.join(folder, "cloud.ts"), "utf8");
        expect(source).not.toMatch(/from "@pulumi\//);
    });

    test("names a provider package that is installed", () => {
        expect(() => require.resolve(`@pulumi/${cloud.providerPackage}/package.json`)).not.toThrow();
    });

    test("prefixes the type token of every component in its folder", () => {
        const tokens = fs
            .readdirSync(folder)
            .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
            .flatMap((f) => [...fs.readFileSync(path.join(folder, f), "utf8").matchAll(/"(multicloud:[A-Za-z]+:[A-Za-z]+)"/g)].map((m) => m[1]));
        const own = tokens.filter((t) => !t.startsWith("multicloud:kubernetes:"));
        expect(own.length).toBeGreaterThan(0);
        expect(own.filter((t) => !t.startsWith(`${cloud.componentTypePrefix}:`))).toEqual([]);
    });

    if ("region" in cloud) {
        test("its default region is one of its allowed regions and of its format", () => {
            expect(cloud.region.format.pattern.test(cloud.region.default)).toBe(true);
            expect(cloud.region.allowedByDefault).toContain(cloud.region.default);
        });
    } else {
        test("without regions, it is its own region", () => {
            expect(regionOf(id, { aws: "x", gcp: "x", alicloud: "x" })).toBe(id);
        });
    }

    test("loads a kit that builds for this cloud", () => {
        expect(typeof cloud.loadKit().createKit).toBe("function");
    });
});

test("the cloud table maps each provider package to its cloud, and names the in-cluster ones", () => {
    expect(cloudTable).toEqual({ clouds: { aws: "aws", gcp: "gcp", alicloud: "alicloud", kubernetes: "onprem" }, inCluster: ["kubernetes"] });
    expect(regionClouds.map((c) => c.id)).toEqual(["aws", "gcp", "alicloud"]);
    expect(isCloud("onprem")).toBe(true);
    expect(isCloud("azure")).toBe(false);
    expect(descriptorOf("gcp").title).toBe("GCP");
});
