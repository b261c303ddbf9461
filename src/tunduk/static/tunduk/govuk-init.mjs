// Start GOV.UK Frontend's components (skip link, notification banners, error summary) on
// every page; an external module so that the Content-Security-Policy needs no inline script.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
