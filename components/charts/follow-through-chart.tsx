"use client";
// Per way of dropping off: the share followed by a contact that ended the need, by one that did
// not, and by none.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatPercent } from "@/lib/format/percent";
import { COLOURS } from "./palette";

export type FollowThroughChartDatum = { label: string; resolved: number; unresolved: number; none: number };

export function FollowThroughChart({ data, title }: { data: FollowThroughChartDatum[]; title: string }) {
  return (
    <BarChart responsive width="100%" height={Math.max(240, 44 * data.length)} layout="vertical" data={data} stackOffset="expand" title={title} desc="The table below gives the same numbers." margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
      <CartesianGrid strokeDasharray="3 3" horizontal={false} />
      <XAxis type="number" tickFormatter={formatPercent} />
      <YAxis type="category" dataKey="label" width={190} tick={{ fontSize: 12 }} />
      <Tooltip formatter={(value) => Number(value).toLocaleString("en-GB")} />
      <Legend />
      <Bar dataKey="resolved" name="Contact ended the need" stackId="a" fill={COLOURS.resolved} isAnimationActive={false} />
      <Bar dataKey="unresolved" name="Contact, need not ended" stackId="a" fill={COLOURS.followed} isAnimationActive={false} />
      <Bar dataKey="none" name="No contact logged" stackId="a" fill={COLOURS.none} isAnimationActive={false} />
    </BarChart>
  );
}
