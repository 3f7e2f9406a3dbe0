/**
 * Refreshes the price catalogue (data/prices.yaml) from each cloud's public
 * price source, for every region the catalogue holds and every region the
 * stacks use:
 *
 *   node --require pulumi-offline-plan/register tools/prices/refresh.ts [--clouds aws,gcp,alicloud] [--report report.md]
 *
 * Each price it reads replaces the catalogue's with its source (an address that
 * names the product) and the date it changed; a price the source does not give
 * is kept as it was and reported, and a region a stack uses with no prices at
 * its source is reported, never filled from another region. Credentials come
 * from the environment: the AWS CLI's chain, an OAuth access token for the Cloud
 * Billing Catalog API (GOOGLE_OAUTH_ACCESS_TOKEN), and Alibaba Cloud's STS
 * credentials (ALIBABA_CLOUD_*); .github/workflows/prices.yml gets all three
 * through OIDC and opens a pull request with the changes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, parseDocument, type Document } from "yaml";
import { parse as parseYaml } from "yaml";
import { parseCatalogue } from "pulumi-offline-plan";
import { pricesFile } from "../../plan.config";
import { alicloudSource, bssClient } from "./alicloud";
import { awsSource, cliGetProducts } from "./aws";
import { gcpSource, httpListSkus } from "./gcp";
import { otherKeys, type PriceSource, type Quote } from "./source";

export interface RefreshOptions {
    sources: PriceSource[];
    /** Regions the stacks use, per cloud: each is priced even when the catalogue has none yet. */
    usedRegions: Record<string, string[]>;
    /** The date written on each price that changes (YYYY-MM-DD). */
    today: string;
}

export interface RefreshReport {
    /** `<cloud> <region> <key>: old -> new` for each price that changed. */
    changed: string[];
    /** Prices read and found as they were. */
    unchanged: number;
    /** Prices the source did not give, kept with their old value and date. */
    kept: string[];
    /** Regions the catalogue did not have, added from the source. */
    addedRegions: string[];
    /** Regions the stacks use that the source has no prices for: not priced, never filled from another region. */
    regionsWithoutPrices: string[];
    /** Instance types a new region's source does not price. */
    missing: string[];
    /** Sources that could not be read, with why: their prices are all kept. */
    failed: string[];
}

const instanceKeyOrder = ["usd", "vcpu", "memoryGib", "source", "date"] as const;

function setPrice(doc: Document, at: string[], quote: Quote, today: string): void {
    const entry = Object.fromEntries(instanceKeyOrder.filter((k) => k !== "date" && quote[k] !== undefined).map((k) => [k, quote[k as keyof Quote]]));
    const node = doc.createNode({ ...entry, date: today });
    node.flow = true;
    doc.setIn(at, node);
}

/** Adds each path's map on the way that the document does not have yet, in block style like the rest. */
function ensureMap(doc: Document, at: string[]): void {
    for (let i = 1; i <= at.length; i++) {
        if (!isMap(doc.getIn(at.slice(0, i), true))) doc.setIn(at.slice(0, i), doc.createNode({}));
    }
}

export async function refreshCatalogue(text: string, options: RefreshOptions): Promise<{ text: string; report: RefreshReport }> {
    const catalogue = parseCatalogue(text, "data/prices.yaml");
    const doc = parseDocument(text);
    const report: RefreshReport = { changed: [], unchanged: 0, kept: [], addedRegions: [], regionsWithoutPrices: [], missing: [], failed: [] };

    for (const source of options.sources) {
        const cloud = source.cloud;
        const known = catalogue.prices[cloud] ?? {};
        const regions = [...new Set([...Object.keys(known), ...(options.usedRegions[cloud] ?? [])])].sort();
        const types = [...new Set(Object.values(known).flatMap((r) => Object.keys(r.instanceHour)))].sort();
        for (const region of regions) {
            let quotes;
            try {
                quotes = await source.read(region, types);
            } catch (err) {
                report.failed.push(`${cloud} ${region}: ${source.name} could not be read (${(err as Error).message.split("\n")[0]})`);
                continue;
            }
            const existing = known[region];
            if (!existing) {
                if (quotes.instanceHour.size === 0 && Object.keys(quotes.others).length === 0) {
                    report.regionsWithoutPrices.push(`${cloud} ${region}: ${source.name} has no prices there`);
                    continue;
                }
                ensureMap(doc, ["prices", cloud, region, "instanceHour"]);
                report.addedRegions.push(`${cloud} ${region}`);
            }
            for (const type of types) {
                const quote = quotes.instanceHour.get(type);
                const old = existing?.instanceHour[type];
                const at = ["prices", cloud, region, "instanceHour", type];
                if (!quote) {
                    if (old) report.kept.push(`${cloud} ${region} ${type}: no price from ${source.name}; kept ${old.usd} of ${old.date}`);
                    else report.missing.push(`${cloud} ${region} ${type}: no price from ${source.name}`);
                    continue;
                }
                if (old && old.usd === quote.usd && old.source === quote.source && old.vcpu === quote.vcpu && old.memoryGib === quote.memoryGib) {
                    report.unchanged++;
                    continue;
                }
                setPrice(doc, at, quote, options.today);
                if (old) report.changed.push(`${cloud} ${region} ${type}: ${old.usd} -> ${quote.usd}`);
            }
            for (const key of otherKeys) {
                const quote = quotes.others[key];
                const old = existing?.[key] as { usd: number; source: string; date: string } | Record<string, unknown> | undefined;
                const single = old && typeof (old as { usd?: unknown }).usd === "number" ? (old as { usd: number; source: string; date: string }) : undefined;
                if (!quote) {
                    if (single) report.kept.push(`${cloud} ${region} ${key}: not read from ${source.name}; kept ${single.usd} of ${single.date}`);
                    else if (old) report.kept.push(`${cloud} ${region} ${key}: not read from ${source.name}; kept as it was`);
                    continue;
                }
                // A key priced per tier (Filestore) is not one price: the refresh leaves it to a person.
                if (old && !single) continue;
                if (single && single.usd === quote.usd && single.source === quote.source) {
                    report.unchanged++;
                    continue;
                }
                setPrice(doc, ["prices", cloud, region, key], quote, options.today);
                if (single) report.changed.push(`${cloud} ${region} ${key}: ${single.usd} -> ${quote.usd}`);
            }
        }
    }
    const out = doc.toString({ lineWidth: 0 });
    // What it writes must be a catalogue the plan reads.
    parseCatalogue(out, "data/prices.yaml (refreshed)");
    return { text: out, report };
}

/** The regions the stack files name per cloud, and the catalogue's defaults, which stacks without `multicloud:regions` use. */
export function usedRegions(stacksDir: string, defaults: Record<string, string>): Record<string, string[]> {
    const used: Record<string, Set<string>> = {};
    for (const [cloud, region] of Object.entries(defaults)) (used[cloud] ??= new Set()).add(region);
    for (const file of fs.readdirSync(stacksDir).filter((f) => /^Pulumi\..+\.ya?ml$/.test(f))) {
        const config = (parseYaml(fs.readFileSync(path.join(stacksDir, file), "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {};
        const regions = (config["multicloud:regions"] ?? {}) as Record<string, unknown>;
        for (const [cloud, region] of Object.entries(regions)) if (typeof region === "string") (used[cloud] ??= new Set()).add(region);
    }
    return Object.fromEntries(Object.entries(used).map(([cloud, set]) => [cloud, [...set].sort()]));
}

/** The report as the pull request's body. */
export function reportMarkdown(report: RefreshReport, today: string): string {
    const list = (title: string, items: string[]) => (items.length ? [`### ${title}`, "", ...items.map((i) => `- ${i}`), ""] : []);
    return [
        `## Price catalogue refreshed on ${today}`,
        "",
        `${report.changed.length} prices changed, ${report.unchanged} unchanged, ${report.kept.length} kept as they were.`,
        "",
        ...list("Sources that could not be read (their prices are kept)", report.failed),
        ...list("Regions the stacks use without prices (not priced, never filled from another region)", report.regionsWithoutPrices),
        ...list("Regions added", report.addedRegions),
        ...list("Changed", report.changed),
        ...list("Not priced in a new region", report.missing),
        ...list("Kept (not given by the source)", report.kept),
    ].join("\n");
}

function defaultSources(clouds: string[], env: NodeJS.ProcessEnv): PriceSource[] {
    const make: Record<string, () => PriceSource> = {
        aws: () => awsSource(cliGetProducts()),
        gcp: () => {
            const token = env.GOOGLE_OAUTH_ACCESS_TOKEN;
            if (!token) throw new Error("gcp: no GOOGLE_OAUTH_ACCESS_TOKEN (the workflow's workload identity login gives one)");
            return gcpSource(httpListSkus(token));
        },
        alicloud: () => alicloudSource(bssClient(env)),
    };
    return clouds.map((cloud) => {
        if (!make[cloud]) throw new Error(`--clouds: no price source for "${cloud}"; valid: ${Object.keys(make).join(", ")}`);
        return make[cloud]();
    });
}

async function main(argv: string[]): Promise<number> {
    const flag = (name: string) => {
        const i = argv.indexOf(name);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const clouds = (flag("--clouds") ?? "aws,gcp,alicloud").split(",").filter(Boolean);
    const reportFile = flag("--report");
    const today = new Date().toISOString().slice(0, 10);
    const text = fs.readFileSync(pricesFile, "utf8");
    const catalogue = parseCatalogue(text, "data/prices.yaml");
    const sources: PriceSource[] = [];
    const failed: string[] = [];
    for (const cloud of clouds) {
        try {
            sources.push(...defaultSources([cloud], process.env));
        } catch (err) {
            failed.push((err as Error).message);
        }
    }
    const { text: refreshed, report } = await refreshCatalogue(text, {
        sources,
        usedRegions: usedRegions(path.join(__dirname, "../../stacks"), catalogue.defaults.regions),
        today,
    });
    report.failed.unshift(...failed);
    if (refreshed !== text) fs.writeFileSync(pricesFile, refreshed);
    const markdown = reportMarkdown(report, today);
    if (reportFile) fs.writeFileSync(reportFile, markdown);
    process.stdout.write(markdown);
    // A source that could not be read fails the run, after writing what the others gave.
    return report.failed.length ? 1 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err) => {
            console.error(err instanceof Error ? err.message : err);
            process.exit(2);
        },
    );
}
