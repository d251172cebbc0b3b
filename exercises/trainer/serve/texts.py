"""The hand-in script's Chinese texts (trainer/serve/static/handin.js receives them from ``/api/collect/info``)."""
from __future__ import annotations

HANDIN_TEXTS = {
    "title": "交给培训师",
    "intro": "把本机保存的全部答案交给培训师（期次码见培训师投影的页面，学号和个人码见发给你的个人码条）。"
             "再次交会合并，不会覆盖已交的答案。",
    "code": "期次码",
    "number": "学号",
    "pin": "个人码",
    "send": "交给培训师",
    "sending": "正在发送……",
    "empty": "本机还没有保存任何答案：先作答，再交。",
    "need_code": "请填写期次码（6 位字母和数字）。",
    "need_number": "请填写学号。",
    "need_pin": "请填写个人码（个人码条上的 6 位字母和数字）。",
    "stored": "已交给培训师（学号 {number}），本次新记入 {new} 条答案。培训师处现有你的练习答案 {practice} 题、"
              "综合测评 {assessment} 次（{time}）。",
    "repeated": "这些答案培训师处已经有了，无需重复交：练习答案 {practice} 题、综合测评 {assessment} 次（{time}）。",
    "failed": "未能交上：{reason}",
    "network": "无法连接培训师的电脑：请检查网络后再试。答案仍保存在本机，不会丢失。",
    "busy": "提交太频繁，请稍等一分钟再试。",
    "unreadable": "本机保存的答案无法读取，不能交。",
}
