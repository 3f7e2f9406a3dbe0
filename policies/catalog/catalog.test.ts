import { catalog, coverageTags, isKnownType, providerOf, providers, typesOf, typesWithProperty } from "./catalog";
import { fieldName, notKnown, readTags, tagPlacement, taggableTypes } from "./tags";

test("knows thousands of types and where each taggable one keeps its tags, in every form", () => {
    expect(providers.map((p) => typesOf(p).length).reduce((a, b) => a + b)).toBeGreaterThan(4000);
    expect(providers.map((p) => taggableTypes(p).length).reduce((a, b) => a + b)).toBeGreaterThan(1500);
    expect(tagPlacement("aws:sns/topic:Topic")).toEqual({ provider: "aws", path: ["tags"], form: "map" });
    expect(tagPlacement("aws:autoscaling/group:Group")).toEqual({ provider: "aws", path: ["tags"], form: "list" });
    expect(tagPlacement("gcp:pubsub/subscription:Subscription")).toEqual({ provider: "gcp", path: ["labels"], form: "map" });
    expect(tagPlacement("gcp:container/cluster:Cluster")).toEqual({ provider: "gcp", path: ["resourceLabels"], form: "map" });
    expect(tagPlacement("gcp:sql/databaseInstance:DatabaseInstance")).toEqual({ provider: "gcp", path: ["settings", "userLabels"], form: "map" });
    expect(tagPlacement("alicloud:ecs/keyPair:KeyPair")).toEqual({ provider: "alicloud", path: ["tags"], form: "map" });
    expect(tagPlacement("kubernetes:apps/v1:Deployment")).toEqual({ provider: "kubernetes", path: ["metadata", "labels"], form: "map" });
});

test("leaves out what takes no cost tags: computed tagsAll, Kubernetes lists, GCP resource-manager tags, other packages", () => {
    expect(tagPlacement("aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toBeUndefined();
    expect(tagPlacement("kubernetes:core/v1:ConfigMapList")).toBeUndefined();
    expect(tagPlacement("gcp:tags/tagBindingCollection:TagBindingCollection")).toBeUndefined();
    expect(tagPlacement("random:index/randomPet:RandomPet")).toBeUndefined();
    expect(Object.values(catalog.tags.aws)).not.toContain("tagsAll");
});

test("reads tags in each form, and says when the tags themselves are not known", () => {
    const map = tagPlacement("aws:sns/topic:Topic")!;
    const list = tagPlacement("aws:autoscaling/group:Group")!;
    const nested = tagPlacement("gcp:sql/databaseInstance:DatabaseInstance")!;
    expect([...readTags(map, { tags: { a: "1" } })!]).toEqual([["a", "1"]]);
    expect([...readTags(list, { tags: [{ key: "a", value: "1" }, { value: "no key" }] })!]).toEqual([["a", "1"]]);
    expect([...readTags(nested, { settings: { userLabels: { b: "2" } } })!]).toEqual([["b", "2"]]);
    expect([...readTags(nested, {})!]).toEqual([]);
    expect([...readTags(list, { tags: "not a list" })!]).toEqual([]);
});

test("reads nothing from a map that is absent or not a map, and nothing from a missing list", () => {
    const map = tagPlacement("aws:sns/topic:Topic")!;
    const list = tagPlacement("aws:autoscaling/group:Group")!;
    expect([...readTags(map, {})!]).toEqual([]);
    expect([...readTags(map, { tags: null })!]).toEqual([]);
    expect([...readTags(map, { tags: "abc" })!]).toEqual([]);
    expect([...readTags(list, {})!]).toEqual([]);
    expect([...readTags(tagPlacement("gcp:sql/databaseInstance:DatabaseInstance")!, { settings: null })!]).toEqual([]);
});

test("a reader's notKnown hides the whole tag set when the set is unknown, one value when a value is", () => {
    const map = tagPlacement("aws:sns/topic:Topic")!;
    const list = tagPlacement("aws:autoscaling/group:Group")!;
    const unknownTags = (object: any, key: string) => (key === "tags" ? notKnown : object[key]);
    expect(readTags(map, { tags: { a: "1" } }, unknownTags)).toBeUndefined();
    const unknownB = (object: any, key: string) => (key === "b" || key === "value" ? notKnown : object[key]);
    expect([...readTags(map, { tags: { a: "1", b: "2" } }, unknownB)!]).toEqual([
        ["a", "1"],
        ["b", undefined],
    ]);
    expect([...readTags(list, { tags: [{ key: "a", value: "1" }] }, unknownB)!]).toEqual([["a", undefined]]);
});

test("names the field and lists the taggable types with their provider", () => {
    expect(fieldName(tagPlacement("kubernetes:core/v1:ConfigMap")!)).toBe("metadata.labels");
    expect(taggableTypes("aws")).toContain("aws:sns/topic:Topic");
    expect(taggableTypes("gcp")).toContain("gcp:pubsub/subscription:Subscription");
    expect(typesOf("gcp")).toContain("gcp:storage/bucket:Bucket");
    expect(typesOf("gcp")).toHaveLength(catalog.types.gcp.length);
});

test("counts types per provider for a policy's tags, and finds the types that declare a property", () => {
    expect(coverageTags(["aws:a/b:B", "aws:c/d:D", "kubernetes:core/v1:Pod", "random:x/y:Y"])).toEqual([
        "types:aws=2",
        "types:gcp=0",
        "types:alicloud=0",
        "types:kubernetes=1",
    ]);
    expect(coverageTags(["gcp:a/aws:B"])).toEqual(["types:aws=0", "types:gcp=1", "types:alicloud=0", "types:kubernetes=0"]);
    expect(typesWithProperty("publiclyAccessible").has("aws:rds/instance:Instance")).toBe(true);
    expect(typesWithProperty("noSuchProperty").size).toBe(0);
    expect(providerOf("aws:sqs/queue:Queue")).toBe("aws");
    expect(providerOf("awsx:ecs:FargateService")).toBeUndefined();
});

test("knows a type of each SDK by its whole token, and no other", () => {
    for (const provider of providers) expect(typesOf(provider).every(isKnownType)).toBe(true);
    expect(isKnownType("aws:sqs/queue:Queue")).toBe(true);
    expect(isKnownType("kubernetes:core/v1:PersistentVolumeClaim")).toBe(true);
    // The same name under another provider, a token without its provider, another package's type.
    expect(isKnownType("gcp:sqs/queue:Queue")).toBe(false);
    expect(isKnownType("sqs/queue:Queue")).toBe(false);
    expect(isKnownType("awsx:ecs:FargateService")).toBe(false);
    expect(isKnownType("aws:sqs/queue:Queu")).toBe(false);
});

test("a Kubernetes custom resource no SDK knows keeps its labels in metadata.labels; its List kind and other packages' unknown types carry none", () => {
    expect(tagPlacement("kubernetes:velero.io/v1:Schedule")).toEqual({ provider: "kubernetes", path: ["metadata", "labels"], form: "map" });
    expect(tagPlacement("kubernetes:velero.io/v1:ScheduleList")).toBeUndefined();
    expect(tagPlacement("aws:velero/v1:Schedule")).toBeUndefined();
});
