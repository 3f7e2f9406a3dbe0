import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import * as awsTypes from "../aws/instance-types";
import * as gcpTypes from "../gcp/machine-types";
import { ecsInstanceTypes } from "../alicloud/instance-types";
import { alicloud } from "../alicloud/cloud";
import { aws } from "../aws/cloud";
import { gcp } from "../gcp/cloud";
import { sizeShapes, sizes } from "./sizes";

const prices = parse(fs.readFileSync(path.join(__dirname, "../../data/prices.yaml"), "utf8"));
const pricedTypes = (cloud: string): string[] => Object.values(prices.prices[cloud] ?? {}).flatMap((region: any) => Object.keys(region.instanceHour ?? {}));

const tables = {
    aws: { types: aws.sizes, shape: awsTypes.nominalShape },
    gcp: { types: gcp.sizes, shape: gcpTypes.nominalShape },
    alicloud: {
        types: alicloud.sizes,
        shape: (type: string) => ecsInstanceTypes[type] && { vcpu: ecsInstanceTypes[type].cpu / 1000, memoryMiB: ecsInstanceTypes[type].memoryMiB },
    },
};

describe.each(Object.entries(tables))("%s sizes", (cloud, table) => {
    test.each([...sizes])("%s maps to a type of exactly its shape", (size) => {
        expect(table.shape(table.types[size])).toEqual(sizeShapes[size]);
    });
    test("every size's type has a price, so moving a workload keeps its cost estimate", () => {
        const priced = pricedTypes(cloud);
        expect(priced.length).toBeGreaterThan(0);
        expect(sizes.filter((size) => !priced.includes(table.types[size]))).toEqual([]);
    });
});
