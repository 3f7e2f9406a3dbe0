import { catalog, providers, typesOf } from "./catalog";
import { readTags, tagPlacement, taggableTypes } from "./tags";

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
