// A heading and order-like rows: 25 unless the dynamic page is asked for more.
export function Rows({ now, count = 25 }) {
  const rows = Array.from({ length: count }, (_, i) => ({ number: `WM-${204817 + i * 3}`, items: (i % 4) + 1, total: ((i * 1733) % 20000) / 100 }));
  return (
    <>
      <h1>Your orders</h1>
      <p>Rendered {now}</p>
      <ul>
        {rows.map((row) => (
          <li key={row.number}>
            <a href={`/dynamic?order=${row.number}`}>Order {row.number}</a> · {row.items} items · €{row.total.toFixed(2)} · <span>Delivered</span>
          </li>
        ))}
      </ul>
    </>
  );
}
