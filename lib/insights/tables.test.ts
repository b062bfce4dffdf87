import { describe, expect, it } from "vitest";
import { durationBucket } from "./durations";
import { toCsv, type ReportTable } from "./tables";

const table: ReportTable = {
  title: "Errors",
  caption: "",
  columns: [
    { key: "step", label: "Step", format: "text" },
    { key: "reached", label: "Reached", format: "count" },
    { key: "stopped", label: "Stopped", format: "count", shareOf: "reached" },
    { key: "rate", label: "Rate", format: "percent" },
    { key: "median", label: "Median", format: "band" },
  ],
  rows: [
    { cells: { step: "=HYPERLINK(\"http://evil\")", reached: 200, stopped: 50, rate: 0.12345, median: durationBucket(130) } },
    { cells: { step: "items, \"again\"", reached: 0, stopped: null, rate: null, median: null } },
  ],
};

describe("CSV exports", () => {
  it("hold the same numbers as the page, shares in their own column, times as seconds", () => {
    const [header, first] = toCsv(table).split("\r\n");
    expect(header).toBe("Step,Reached,Stopped,Stopped (% of reached),Rate (%),\"Median (seconds, upper end of band)\"");
    expect(first.split(",").slice(-5)).toEqual(["200", "50", "25", "12.3", "135"]);
  });

  it("quote what needs quoting and never hand a spreadsheet a formula", () => {
    const rows = toCsv(table).split("\r\n");
    expect(rows[1].startsWith(`"'=HYPERLINK(""http://evil"")"`)).toBe(true);
    expect(rows[2]).toBe(`"items, ""again""",0,,,,`);
    expect(toCsv(table).endsWith("\r\n")).toBe(true);
  });
});
