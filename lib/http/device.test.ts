import { describe, expect, it } from "vitest";
import { describeUserAgent, deviceClassFromUserAgent } from "./device";

const PIXEL = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/159.0.0.0 Mobile Safari/537.36";
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
const IPAD = "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
const GALAXY_TAB = "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
const DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/159.0.0.0 Safari/537.36";

describe("device class", () => {
  it("tells phones, tablets and desktops apart", () => {
    expect(deviceClassFromUserAgent(PIXEL)).toBe("MOBILE");
    expect(deviceClassFromUserAgent(IPHONE)).toBe("MOBILE");
    expect(deviceClassFromUserAgent(IPAD)).toBe("TABLET");
    expect(deviceClassFromUserAgent(GALAXY_TAB)).toBe("TABLET");
    expect(deviceClassFromUserAgent(DESKTOP)).toBe("DESKTOP");
    expect(deviceClassFromUserAgent(undefined)).toBe("DESKTOP");
  });

  it("names the browser and system for the sessions list", () => {
    expect(describeUserAgent(PIXEL)).toBe("Chrome on Android");
    expect(describeUserAgent(IPHONE)).toBe("Safari on iOS");
    expect(describeUserAgent(DESKTOP)).toBe("Chrome on Linux");
  });
});
