// The dashboard's one stylesheet, served at /dashboard.css?v=<hash> (cached for a year: a new version is a new
// URL). Colours are picked for contrast (WCAG AA, 4.5:1 for text) and every colour has a text twin: a heat
// cell shows its number, a status its word.
import { createHash } from "node:crypto";

export const STYLESHEET = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fff}
a{color:#0550ae}
a:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible,
summary:focus-visible{outline:3px solid #0969da;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:2}
header.site{display:flex;flex-wrap:wrap;gap:12px;align-items:center;justify-content:space-between;padding:10px 24px;
  background:#24292f;color:#fff}
header.site a{color:#fff}
header.site .brand{font-weight:600;text-decoration:none}
header.site nav ol{display:flex;flex-wrap:wrap;gap:6px;list-style:none;margin:0;padding:0}
header.site nav li+li::before{content:"/";margin-right:6px;color:#d0d7de}
.account{display:flex;gap:10px;align-items:center}
.account form{margin:0}
.button,button{font:inherit;border:1px solid #1f2328;border-radius:6px;padding:4px 12px;background:#f6f8fa;
  color:#1f2328;cursor:pointer;text-decoration:none;display:inline-block}
header.site .button{background:#fff;color:#1f2328;border-color:#fff}
main{max-width:1400px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:1.6rem;margin:.4em 0}
h2{font-size:1.2rem;margin:1.6em 0 .5em}
h3{font-size:1.05rem;margin:1.2em 0 .4em}
.muted{color:#57606a}
.lede{color:#57606a;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{border:1px solid #d0d7de;border-radius:8px;padding:10px 14px;min-width:140px}
.card .big{font-size:1.5rem;font-weight:600;display:block}
.card .big .pill{font-size:1.1rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
td.tags{min-width:180px}
table.compact{font-size:.9em}
table.compact th[scope=row]{font-weight:600}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{text-align:left;padding:4px 7px;border-bottom:1px solid #d8dee4;vertical-align:middle}
th{font-weight:600;background:#f6f8fa;white-space:nowrap}
th a{color:#1f2328}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto}
.heat{text-align:center;font-variant-numeric:tabular-nums;min-width:3.2em;border-left:2px solid #fff}
.heat-0{background:#f0f6ff;color:#0a3069}
.heat-1{background:#c8e1ff;color:#0a3069}
.heat-2{background:#80b9f5;color:#0a3069}
.heat-3{background:#1f6feb;color:#fff}
.heat-4{background:#0a3069;color:#fff}
.heat-na{background:#f6f8fa;color:#57606a}
.pill{display:inline-block;border-radius:999px;padding:0 9px;font-size:.85em;font-weight:600;white-space:nowrap}
.level-junior{background:#eaeef2;color:#24292f}
.level-senior{background:#ddf4ff;color:#0a3069}
.level-lead{background:#dafbe1;color:#116329}
.status-pass{background:#dafbe1;color:#116329}
.status-fail{background:#ffebe9;color:#82071e}
.status-na{background:#eaeef2;color:#424a53}
.tag{display:inline-block;border:1px solid #d0d7de;border-radius:6px;padding:0 6px;margin:1px 2px;font-size:.8em;
  color:#424a53;text-decoration:none}
.private{border-color:#9a6700;color:#7d4e00}
form.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end;background:#f6f8fa;border:1px solid #d0d7de;
  border-radius:8px;padding:10px 12px}
form.filters label{display:flex;flex-direction:column;font-size:.85em;color:#424a53}
form.filters select,form.filters input{font:inherit;padding:3px 6px;border:1px solid #8c959f;border-radius:6px;
  background:#fff;color:#1f2328}
.pager{display:flex;gap:12px;align-items:center;margin:8px 0}
.chart{width:100%;max-width:680px;height:auto;display:block}
.chart-line{fill:none;stroke:#0550ae;stroke-width:2}
.grid{stroke:#d8dee4;stroke-width:1}
.axis{fill:#57606a;font-size:11px}
.marker{stroke:#8250df;stroke-dasharray:3 3}
.marker-label{fill:#6639ba;font-size:11px}
.spark{vertical-align:middle}
.spark-line{fill:none;stroke:#0550ae;stroke-width:6}
.spark-base{stroke:#d8dee4;stroke-width:4}
.spark-dot{fill:#0550ae}
.signals{list-style:none;padding:0;margin:0}
.signals li{border-bottom:1px solid #d8dee4;padding:6px 0}
.signals .why{color:#424a53;margin:2px 0 0}
.evidence{margin:2px 0 0;padding-left:18px;font-size:.9em}
code{font:.9em ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 3px;border-radius:4px}
.task-head{display:flex;gap:12px;align-items:baseline}
.grid-2{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:8px 32px;align-items:start}
.notice{border:1px solid #d0d7de;border-left:4px solid #0969da;border-radius:6px;padding:10px 14px;background:#f6f8fa}
footer.site{max-width:1400px;margin:0 auto;padding:16px 24px;color:#57606a;font-size:.85em}
`;

export const STYLESHEET_VERSION = createHash("sha256").update(STYLESHEET).digest("hex").slice(0, 12);
export const STYLESHEET_PATH = "/dashboard.css";
