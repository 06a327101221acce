/** Request headers as received: one row per header, name and value in a fixed-width font. */
export function HeadersTable({ headers }: { headers: Readonly<Record<string, string>> }) {
  return (
    <table className="table compact">
      <tbody>
        {Object.entries(headers).map(([name, value]) => (
          <tr key={name}>
            <th className="mono header-name">{name}</th>
            <td className="mono break">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
