// The live page's entry (bundled on its own by CMakeLists.txt; see startLive).
import { startLive } from "./live";

const root = document.getElementById("live");
if (root) void startLive(root);
