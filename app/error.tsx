"use client";

import { PageError } from "@/components/layout/page-error";

// Errors of the dashboard's own layout (it reads the session from the store) land here.
export default PageError;
