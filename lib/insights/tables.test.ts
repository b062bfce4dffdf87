import { describe, expect, it } from "vitest";
import { durationBucket } from "./durations";
import { formatCell, toCsv, type ReportTable } from "./tables";

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

  it("round averages and rates per 100 as the page does, without thousands separators", () => {
    const rates: ReportTable = {
      title: "Notices",
      caption: "",
      columns: [{ key: "per100", label: "Contacts per 100 orders", format: "decimal" }],
      rows: [89.47368421052632, 0.0421052631578947, 1234.56, -12.5].map((per100) => ({ cells: { per100 } })),
    };
    expect(toCsv(rates).split("\r\n")).toEqual(["Contacts per 100 orders", "89.5", "0.04", "1234.6", "-12.5", ""]);
  });

  it("quote what needs quoting and never hand a spreadsheet a formula", () => {
    const rows = toCsv(table).split("\r\n");
    expect(rows[1].startsWith(`"'=HYPERLINK(""http://evil"")"`)).toBe(true);
    expect(rows[2]).toBe(`"items, ""again""",0,,,,`);
    expect(toCsv(table).endsWith("\r\n")).toBe(true);
  });
});

describe("numbers on the page", () => {
  it("show averages and rates rounded for reading, never the raw float", () => {
    expect(formatCell(89.47368421052632, "decimal")).toBe("89.5");
    expect(formatCell(5.333333333333333, "decimal")).toBe("5.3");
    expect(formatCell(0.0421052631578947, "decimal")).toBe("0.04");
    expect(formatCell(-12.5, "decimal")).toBe("-12.5");
    expect(formatCell(1234.56, "decimal")).toBe("1,234.6");
    expect(formatCell(0.8947368421052632, "percent")).toBe("89.5%");
  });
});

