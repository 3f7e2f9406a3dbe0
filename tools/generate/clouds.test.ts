import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { cloudDescriptors } from "../../components/clouds";
import { cloudEntries, cloudOfType, defaultAllowedRegions, inClusterCloud, managedClusterTypes } from "../../policies/catalog/clouds";

const root = path.resolve(__dirname, "../..");

test("the pack's table of clouds is the descriptors' own, as `npm run generate:clouds` writes it", () => {
    // The formatter is an ES module, which Jest's CommonJS sandbox cannot import: the check runs as the script does.
    const check = spawnSync(process.execPath, ["--require", "pulumi-offline-plan/register", "tools/generate/clouds.ts", "--check"], {
        cwd: root,
        encoding: "utf8",
    });
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: "" });
});

test("the pack reads each cloud's facts from it: ids, packages, regions, managed clusters, the in-cluster package", () => {
    expect(cloudEntries.map((c) => c.id)).toEqual(cloudDescriptors.map((d) => d.id));
    expect(cloudOfType("aws:s3/bucket:Bucket")).toBe("aws");
    expect(cloudOfType("alicloud:oss/bucket:Bucket")).toBe("alicloud");
    expect(cloudOfType("kubernetes:apps/v1:Deployment")).toBeUndefined();
    expect(inClusterCloud("kubernetes")).toBe("onprem");
    expect(managedClusterTypes["gcp:container/cluster:Cluster"]).toBe("gcp");
    expect(Object.keys(defaultAllowedRegions)).toEqual(["aws", "gcp", "alicloud"]);
});
