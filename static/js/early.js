// Runs before the page is drawn: styles for script-enabled browsers apply from the start.
document.documentElement.classList.add("js");
