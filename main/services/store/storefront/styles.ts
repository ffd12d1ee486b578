/**
 * The storefront's one stylesheet, `styles.css`: system fonts, mobile first (a 375 px phone is
 * the design width), AA contrast, 44 px touch targets. The sync server's order pages link it
 * too, so its classes are generic: `.page`, `header.site`, `main`, `footer.site`, `.button`,
 * `form` fields, `table`, `.notice`, `.error`.
 */
export const STOREFRONT_CSS = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1b1b1b;background:#fff}
img{max-width:100%;height:auto;display:block}
a{color:#0a5c36}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.page{max-width:64rem;margin:0 auto;padding:0 1rem}
.skip{position:absolute;left:-100vw}
.skip:focus{left:1rem;top:.5rem;z-index:2;background:#fff;padding:.5rem}
header.site{border-bottom:1px solid #d6d6d6}
header.site .page{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.25rem .75rem;padding-top:.5rem;padding-bottom:.5rem}
.brand{display:flex;align-items:center;gap:.5rem;min-height:44px;font-weight:700;font-size:1.15rem;color:inherit;text-decoration:none}
.brand img{height:2.5rem;width:auto}
header nav{display:flex;flex-wrap:wrap;gap:0 .25rem}
header nav a{display:inline-flex;align-items:center;min-height:44px;padding:0 .5rem}
main{display:block;padding-top:1rem;padding-bottom:2rem}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 1rem}
h2{font-size:1.2rem;line-height:1.3;margin:1.5rem 0 .5rem}
h3{font-size:1.05rem;margin:1.25rem 0 .5rem}
.muted{color:#4d4d4d}
.lead{font-size:1.05rem}
.grid{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:1.25rem 1rem}
@media (min-width:40em){.grid{grid-template-columns:repeat(3,minmax(0,1fr))}}
@media (min-width:60em){.grid{grid-template-columns:repeat(4,minmax(0,1fr))}}
.card a{display:block;color:inherit;text-decoration:none}
.card a:hover .name{text-decoration:underline}
.card img,.noimg{display:block;width:100%;aspect-ratio:1;object-fit:cover;border-radius:.5rem;background:#efefe9}
.card .name{display:block;margin-top:.4rem;overflow-wrap:anywhere}
.price{font-weight:700}
.stock{display:block;font-size:.9rem;color:#4d4d4d}
.out{color:#a3160f}
.tags{list-style:none;padding:0;margin:0 0 1rem;display:flex;flex-wrap:wrap;gap:.5rem}
.tags a{display:inline-flex;align-items:center;min-height:44px;padding:0 .9rem;border:1px solid #0a5c36;border-radius:2rem;text-decoration:none}
.button,button{display:inline-flex;align-items:center;justify-content:center;min-height:44px;padding:.5rem 1.1rem;font:inherit;font-weight:600;line-height:1.25;color:#fff;background:#0a5c36;border:2px solid #0a5c36;border-radius:.5rem;text-decoration:none;cursor:pointer}
.button.alt,button.alt{color:#0a5c36;background:#fff}
.button.small,button.small{display:flex;min-height:2rem;margin-top:.4rem;padding:.15rem .6rem;font-size:.9rem}
button[disabled]{opacity:.6;cursor:not-allowed}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem;margin:1rem 0}
[hidden]{display:none!important}
.product{display:grid;gap:1.25rem}
@media (min-width:48em){.product{grid-template-columns:minmax(0,1fr) minmax(0,1fr);align-items:start}}
.product figure{margin:0}
.product .price{font-size:1.35rem;margin:0}
form{margin:1rem 0}
label,legend{display:block;font-weight:600;margin:.9rem 0 .3rem}
input,select,textarea{display:block;width:100%;min-height:44px;padding:.55rem .65rem;font:inherit;color:inherit;background:#fff;border:1px solid #6b6b6b;border-radius:.4rem}
textarea{min-height:5rem}
fieldset{margin:1rem 0;padding:0 1rem .75rem;border:1px solid #c7c7c7;border-radius:.5rem}
.choice{display:flex;align-items:flex-start;gap:.6rem;margin:.5rem 0;font-weight:400}
.choice input{width:1.25rem;min-height:1.25rem;margin:.15rem 0 0;flex:none}
.hint{display:block;font-size:.9rem;font-weight:400;color:#4d4d4d}
.table{overflow-x:auto}
table{width:100%;border-collapse:collapse;margin:.5rem 0 1rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{padding:.5rem;text-align:left;vertical-align:top;border-bottom:1px solid #d6d6d6}
td.num,th.num{text-align:right;white-space:nowrap}
td input{width:4.5rem}
.notice{padding:.75rem 1rem;background:#fff6dc;border-left:4px solid #b35c00;border-radius:.25rem}
.error{padding:.75rem 1rem;color:#7d0f0a;background:#fdecea;border-left:4px solid #a3160f;border-radius:.25rem}
.pager{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem;list-style:none;padding:0;margin:1.5rem 0}
.pager a,.pager span{display:inline-flex;align-items:center;justify-content:center;min-width:44px;min-height:44px;padding:0 .5rem}
.pager [aria-current]{font-weight:700;border:2px solid #0a5c36;border-radius:.4rem}
footer.site{padding:1.5rem 0 2rem;font-size:.95rem;background:#f6f6f2;border-top:1px solid #d6d6d6}
footer.site ul{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:0 1rem}
footer.site li a{display:inline-flex;align-items:center;min-height:44px}
footer.site p{margin:.4rem 0}
.prose{max-width:42rem}
`;
