// The live page's entry (web/build.mjs --live bundles it into web/live.html; see startLive).
import { startLive } from "./live";

const root = document.getElementById("live");
if (root) void startLive(root);
