"use client";
// Mobile, tablet and desktop side by side, one group of bars per category (a funnel position or a
// journey), the groups top to bottom so their names stay legible on a phone.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatPercent } from "@/lib/format/percent";
import { CATEGORY_AXIS, DEVICE_COLOURS, visibleZero } from "./palette";

export type DeviceChartDatum = { label: string; MOBILE: number | null; TABLET: number | null; DESKTOP: number | null };

export function DeviceChart({ data, title }: { data: DeviceChartDatum[]; title: string }) {
  return (
    <BarChart
      responsive
      width="100%"
      height={Math.max(260, 40 * data.length + 60)}
      layout="vertical"
      data={data}
      title={title}
      desc="The table below gives the same numbers."
      margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
    >
      <CartesianGrid strokeDasharray="3 3" horizontal={false} />
      <XAxis type="number" domain={[0, 1]} tickFormatter={formatPercent} />
      <YAxis {...CATEGORY_AXIS} />
      <Tooltip formatter={(value) => formatPercent(Number(value))} />
      <Legend />
      <Bar dataKey="MOBILE" minPointSize={visibleZero} name="Mobile" fill={DEVICE_COLOURS.MOBILE} isAnimationActive={false} />
      <Bar dataKey="TABLET" minPointSize={visibleZero} name="Tablet" fill={DEVICE_COLOURS.TABLET} isAnimationActive={false} />
      <Bar dataKey="DESKTOP" minPointSize={visibleZero} name="Desktop" fill={DEVICE_COLOURS.DESKTOP} isAnimationActive={false} />
    </BarChart>
  );
}
