"""The load bench's baseline: a bare Streamlit page with a title and one small Altair chart
(no database, no session state), so the table shows Streamlit's own cost per session."""

import altair as alt
import pandas as pd
import streamlit as st

st.title("Bare page")
data = pd.DataFrame({"x": list("ABCDEFGH"), "y": [3, 5, 2, 8, 6, 4, 7, 1]})
st.altair_chart(alt.Chart(data).mark_bar().encode(x="x", y="y"))
