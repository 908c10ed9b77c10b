import traceback
import drafter.llm as L
orig = L.map_exception
def m(exc, model):
    traceback.print_exception(exc)
    return orig(exc, model)
L.map_exception = m
