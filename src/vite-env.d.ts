/// <reference types="vite/client" />
declare const __SIFT_TEST_HOOKS__: boolean;
