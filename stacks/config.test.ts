import { protocolSchema, protocolVariables } from "./config";

const setting = (accept: string[], use: string) => ({ settings: { "event-format": { accept, use } } });

test("no protocol settings by default, a bake period of three days, every field described", () => {
    expect(protocolSchema.parse(undefined)).toEqual({ bakeDays: 3, settings: {} });
    const shape = protocolSchema.unwrap().shape;
    for (const [field, schema] of Object.entries(shape)) expect([field, schema.description]).toEqual([field, expect.any(String)]);
});

test("a writer may only use a value every reader accepts", () => {
    expect(protocolSchema.safeParse(setting(["avro-v1", "avro-v2"], "avro-v2")).success).toBe(true);
    const outside = protocolSchema.safeParse(setting(["avro-v1"], "avro-v2"));
    expect(outside.success).toBe(false);
    expect(outside.error!.issues).toEqual([
        expect.objectContaining({
            path: ["settings", "event-format", "use"],
            message: "must be one of accept: a writer may only use what every reader accepts",
        }),
    ]);
});

test.each<[unknown, string]>([
    [setting([], "avro-v1"), "nothing accepted"],
    [setting(["avro-v1", "avro-v1"], "avro-v1"), "a value listed twice"],
    [setting(["avro v1"], "avro v1"), "a value with a space"],
    [{ settings: { EventFormat: { accept: ["a"], use: "a" } } }, "a name that is not lowercase"],
    [{ settings: { "event-format": { accept: ["a"], use: "a", default: "a" } } }, "an unknown key"],
])("refuses %j (%s)", (value) => {
    expect(protocolSchema.safeParse(value).success).toBe(false);
});

test("the processes read each setting as PROTOCOL_<NAME>_ACCEPT and PROTOCOL_<NAME>_USE", () => {
    expect(protocolVariables({ "event-format": { accept: ["avro-v1", "avro-v2"], use: "avro-v1" }, "wire-version": { accept: ["3"], use: "3" } })).toEqual({
        PROTOCOL_EVENT_FORMAT_ACCEPT: "avro-v1,avro-v2",
        PROTOCOL_EVENT_FORMAT_USE: "avro-v1",
        PROTOCOL_WIRE_VERSION_ACCEPT: "3",
        PROTOCOL_WIRE_VERSION_USE: "3",
    });
});
