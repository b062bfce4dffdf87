"use client";
// Completion rate per day or week (line, right axis) over the exits to each channel (stacked bars).
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import { formatPercent } from "@/lib/format/percent";
import { CHANNEL_COLOURS, COLOURS, formatCount } from "./palette";

export type TrendChartDatum = { period: string; completionRate: number | null; PHONE: number; CHAT: number; EMAIL: number; SOCIAL: number; HELP_CENTRE: number; PERSON: number };

const CHANNELS = [
  ["PHONE", "Phone"],
  ["CHAT", "Chat"],
  ["EMAIL", "Email"],
  ["SOCIAL", "Social"],
  ["HELP_CENTRE", "Help centre"],
  ["PERSON", "a person"],
] as const;

export function TrendChart({ data, title }: { data: TrendChartDatum[]; title: string }) {
  return (
    <ComposedChart responsive width="100%" height={320} data={data} title={title} desc="The table below gives the same numbers." margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="period" tick={{ fontSize: 12 }} minTickGap={16} />
      <YAxis yAxisId="exits" tickFormatter={formatCount} width={48} label={{ value: "Exits", angle: -90, position: "insideLeft" }} />
      <YAxis yAxisId="rate" orientation="right" domain={[0, 1]} tickFormatter={formatPercent} width={52} />
      <Tooltip formatter={(value, name) => (name === "Completion rate" ? formatPercent(Number(value)) : formatCount(Number(value)))} />
      <Legend />
      {CHANNELS.map(([key, name]) => (
        <Bar key={key} yAxisId="exits" dataKey={key} name={`Exited to ${name.toLowerCase()}`} stackId="exits" fill={CHANNEL_COLOURS[key]} isAnimationActive={false} />
      ))}
      <Line yAxisId="rate" dataKey="completionRate" name="Completion rate" stroke={COLOURS.primary} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
    </ComposedChart>
  );
}
