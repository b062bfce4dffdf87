export const metadata = { title: "Bare Next.js" };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", margin: "0 auto", maxWidth: 960, padding: 16 }}>
        <header>
          <strong>Bare</strong> · <a href="/">Home</a> · <a href="/dynamic">Dynamic</a>
        </header>
        <main>{children}</main>
        <footer>A bare Next.js app, the benchmark&apos;s baseline.</footer>
      </body>
    </html>
  );
}
