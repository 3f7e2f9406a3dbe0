/**
 * A committed list of one-way doors that review accepted (`--accepted-doors
 * FILE`). The offline plan honours it in the pull request; a deploy that reads the
 * same file can refuse any door it does not hold.
 */
import * as fs from "node:fs";
import { parse } from "yaml";
import { z } from "zod";

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

const door = z
    .object({
        stack: z.string().regex(/^[A-Za-z0-9._-]+$/, "a stack name such as transactional-prod"),
        urn: z.string().startsWith("urn:pulumi:", "a URN, as the plan prints it (urn:pulumi:<stack>::<project>::<type>::<name>)"),
        reason: z.string().trim().min(10, "a sentence saying why the loss is accepted"),
        acceptedBy: z.string().trim().min(2, "the GitHub handle of whoever accepted it"),
        // YAML reads an unquoted date as a Date; both spellings mean the same day.
        expires: z.union([z.date(), z.string()]).transform((v, ctx) => {
            const text = v instanceof Date ? v.toISOString().slice(0, 10) : v;
            if (!isoDate.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
                ctx.addIssue({ code: "custom", message: "a date, YYYY-MM-DD" });
                return z.NEVER;
            }
            return text;
        }),
    })
    .strict();

const file = z.object({ doors: z.array(door).default([]) }).strict();

export type AcceptedDoor = z.output<typeof door>;

export interface AcceptedDoors {
    file: string;
    /** Entries in force on the day asked for. */
    accepted: AcceptedDoor[];
    /** Entries past their expiry: listed, but they accept nothing. */
    expired: AcceptedDoor[];
}

/** A bad accepted-doors file: the message names the file, the entry and key, and what would be valid. */
export class AcceptedDoorsError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "AcceptedDoorsError";
    }
}

/** An entry counts through the whole of its expiry day (UTC). */
function inForce(entry: AcceptedDoor, now: Date): boolean {
    return now.getTime() < Date.parse(`${entry.expires}T00:00:00Z`) + 24 * 3600 * 1000;
}

export function parseAcceptedDoors(text: string, fileName: string, now: Date = new Date()): AcceptedDoors {
    let raw: unknown;
    try {
        raw = parse(text) ?? {};
    } catch (e) {
        throw new AcceptedDoorsError(`${fileName} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    const result = file.safeParse(raw);
    if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue.path.length
            ? issue.path
                  .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
                  .join("")
                  .replace(/^\./, "")
            : "(top level)";
        throw new AcceptedDoorsError(
            `Invalid ${fileName}: ${where}: ${issue.message}. Each entry needs stack, urn, reason, acceptedBy and expires (YYYY-MM-DD).`,
        );
    }
    const seen = new Set<string>();
    for (const [i, d] of result.data.doors.entries()) {
        const key = `${d.stack} ${d.urn}`;
        if (seen.has(key))
            throw new AcceptedDoorsError(`Invalid ${fileName}: doors[${i}] accepts ${d.urn} in ${d.stack} a second time; keep one entry per door.`);
        seen.add(key);
    }
    return {
        file: fileName,
        accepted: result.data.doors.filter((d) => inForce(d, now)),
        expired: result.data.doors.filter((d) => !inForce(d, now)),
    };
}

export function readAcceptedDoors(fileName: string, now: Date = new Date()): AcceptedDoors {
    if (!fs.existsSync(fileName))
        throw new AcceptedDoorsError(`${fileName} does not exist. Create it with \`doors: []\` and add an entry for each door review accepts.`);
    return parseAcceptedDoors(fs.readFileSync(fileName, "utf8"), fileName, now);
}

/** The entry that accepts a door of the stack, by any URN the door goes by (the old one, for a rename). */
export function acceptance(doors: AcceptedDoors, stack: string, ...urns: (string | undefined)[]): AcceptedDoor | undefined {
    return doors.accepted.find((d) => d.stack === stack && urns.includes(d.urn));
}
