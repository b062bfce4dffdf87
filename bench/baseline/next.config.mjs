// The bare Next.js app `npm run bench` measures the portal against: same Next.js, React and
// build settings that matter (production build, `next start`), none of the portal's code.
import path from "node:path";

const nextConfig = {
  poweredByHeader: false,
  // The packages come from the portal's node_modules two folders up.
  turbopack: { root: path.resolve(import.meta.dirname, "../..") },
};

export default nextConfig;
